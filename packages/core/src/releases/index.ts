export { judgeCanary, DEFAULT_JUDGE_RULES, type CanaryJudgement, type CanaryJudgeRules, type CanaryVerdict, type JudgedSlo } from "./judge-canary";
