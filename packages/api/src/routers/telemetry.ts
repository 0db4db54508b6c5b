import { router } from "../trpc";

export const telemetryRouter = router({});
