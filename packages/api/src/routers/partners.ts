import { router } from "../trpc";

export const partnersRouter = router({});
