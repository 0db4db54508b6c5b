// What every controller gets: the store, the API machinery, the event recorder and faults.
import { type Api } from "../api.js";
import { type EventRecorder } from "../events.js";
import { type FaultState } from "../faults.js";
import { type Store } from "../store.js";

export interface ControllerContext {
  store: Store;
  api: Api;
  events: EventRecorder;
  faults: FaultState;
  /** Time from binding to a container running (before readiness). */
  podStartMs: number;
  /** How long a crash-looping container runs before it crashes again. */
  crashRunMs: number;
  /** How long a Job's container (restartPolicy Never or OnFailure) runs before it exits 0. */
  jobRunMs: number;
  /** First CrashLoopBackOff / ImagePullBackOff delay (doubles, capped at 10x). */
  backoffMs: number;
}

export interface Controller {
  stop(): void;
}
