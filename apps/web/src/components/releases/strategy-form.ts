import { ReleaseStrategy } from "@wharf/contracts";

// The canary strategy as a person types it (weights as "10, 25, 50, 100"), shared by the app's
// Release tab and the publisher's catalog item page.

export type StrategyForm = { weights: string; pauseSeconds: string; minRequests: string };
export type StrategyErrors = Partial<Record<keyof StrategyForm, string>>;

export const toForm = (strategy: ReleaseStrategy): StrategyForm => ({
  weights: strategy.weights.join(", "),
  pauseSeconds: String(strategy.pauseSeconds),
  minRequests: String(strategy.minRequests),
});

/** The strategy as typed, checked by the same zod schema the server applies, with its messages per field. */
export function parseStrategy(form: StrategyForm): { strategy: ReleaseStrategy | null; errors: StrategyErrors } {
  const parts = form.weights.split(",").map((w) => w.trim());
  const errors: StrategyErrors = {};
  if (parts.some((w) => w === "" || !Number.isFinite(Number(w)))) errors.weights = "Give the steps as percentages separated by commas, e.g. 10, 25, 50, 100";
  if (form.pauseSeconds.trim() === "" || !Number.isFinite(Number(form.pauseSeconds))) errors.pauseSeconds = "Give the pause per step in seconds";
  if (form.minRequests.trim() === "" || !Number.isFinite(Number(form.minRequests))) errors.minRequests = "Give the canary requests a step needs";
  const parsed = ReleaseStrategy.safeParse({ weights: parts.map(Number), pauseSeconds: Number(form.pauseSeconds), minRequests: Number(form.minRequests) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof StrategyForm;
      errors[field] ??= issue.message;
    }
  }
  return { strategy: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}
