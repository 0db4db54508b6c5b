// Lays the map out off the main thread: positions go back every few ticks so the map can
// draw (and show progress) while the layout settles.
import { type LayoutProgress, type LayoutRequest, layoutTick, startLayout } from "./layout";

const REPORT_EVERY_TICKS = 15;

function report(message: LayoutProgress): void {
  postMessage(message, { transfer: [message.x.buffer, message.y.buffer] });
}

addEventListener("message", (event: MessageEvent<LayoutRequest>) => {
  const { runId, n, edges, x, y, fixed } = event.data;
  // The map has already drawn the seeded positions (the same ones startLayout computes).
  const run = startLayout({ n, edges, x, y, fixed });
  while (layoutTick(run)) {
    if (run.tick % REPORT_EVERY_TICKS === 0) report({ runId, x: x.slice(), y: y.slice(), progress: run.tick / run.ticks, done: false });
  }
  report({ runId, x: x.slice(), y: y.slice(), progress: 1, done: true });
});
