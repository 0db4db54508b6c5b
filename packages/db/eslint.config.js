import base from "@wharf/config/eslint";

// This package is where Prisma lives.
export default [...base, { rules: { "no-restricted-imports": "off" } }];
