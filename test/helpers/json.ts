/**
 * A JSON body as a platform stand-in received it or a process printed it, read field by field by
 * the assertions that check it: the assertion is the check on its shape, so no type is written
 * before it. The one `any` of the tests.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = Record<string, any>;
