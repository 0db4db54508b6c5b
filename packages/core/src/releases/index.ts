export { judgeCanary, DEFAULT_JUDGE_RULES, type CanaryJudgement, type CanaryJudgeRules, type CanaryVerdict, type JudgedSlo } from "./judge-canary";
export { startCanary, promoteRelease, pauseRelease, resumeRelease, abortRelease, getAppRelease, getRelease, refuseIfInProgress } from "./manage-releases";
export { advanceReleases, releaseIntervalMs, type AdvanceResult } from "./advance-releases";
export { desiredManifests, splitReplicas, CANARY_OF, SPACE_GATEWAY } from "./render-release-manifests";
export { getReleaseStrategy, setAppReleaseStrategy, setCatalogReleaseStrategy } from "./release-strategy";
export { getReleaseComparison } from "./get-release-comparison";
