import { router } from "../trpc";

export const sloRouter = router({});
