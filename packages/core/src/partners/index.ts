export { registerPartner, REGISTRATIONS_PER_IP_PER_HOUR, type RegistrationRequest } from "./register-partner";
export { verifyPartnerEmail, resendPartnerVerification, RESENDS_PER_HOUR } from "./verify-partner-email";
export { listMyPartnerApplications, listPartnerApplications } from "./list-partner-applications";
export { approvePartner, rejectPartner } from "./review-partner";
export { setPartnerRateLimit } from "./set-partner-rate-limit";
export { getPartnerProfile } from "./get-partner-profile";
export { VERIFICATION_TTL_MS } from "./verification";
