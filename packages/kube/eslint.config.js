export { default } from "@wharf/config/eslint";
