// Runs in the browser before any of the app's code (Next.js instrumentation-client).
import { z } from "zod";

// zod probes for eval (`new Function("")`) before compiling fast object parsers; the console's
// CSP refuses eval, and the browser reports each probe as a violation. The plain parser is the
// same parser, without the probe.
z.config({ jitless: true });
