import { router } from "../trpc";

export const topologyRouter = router({});
