export { cn } from "./cn";
export { Button, Spinner, type ButtonProps } from "./button";
export { TextField, TextAreaField, SelectField } from "./field";
export { Card, PageHeader, Alert, Badge, EmptyState, DataTable, Cell } from "./layout";
export { Dialog } from "./dialog";
