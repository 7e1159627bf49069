/** Where a cross-field rule records a problem: a path into the spec, the value, and the message. */
export type Report = (path: readonly (string | number)[], received: unknown, message: string) => void;
