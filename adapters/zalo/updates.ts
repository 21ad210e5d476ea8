import { z } from "zod";

// What Zalo sends: an update (polled, or posted to the webhook) and the message it carries, read
// with schemas that keep only the fields used and accept the variants seen in the wild.

/** Ids are strings in every sample seen; a number is accepted and turned into one. */
export const Id = z.union([z.string().min(1), z.number()]).transform(String);

export const ZaloMessageSchema = z.object({
  message_id: Id,
  // Seen as display_name, as name, and (Telegram-shaped) as first_name with last_name.
  from: z.object({
    id: Id,
    display_name: z.string().optional(),
    name: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
  }),
  chat: z.object({ id: Id, chat_type: z.string().optional() }),
  date: z.number().optional(),
  text: z.string().optional(),
  // The notes saw `photo_url`; Zalo's own reference names `photo` (and `url` for other media).
  photo_url: z.string().optional(),
  photo: z.string().optional(),
  url: z.string().optional(),
  caption: z.string().optional(),
});

export const ZaloUpdateSchema = z
  .object({
    // One copy of Zalo's documents shows polled updates without it: the message then says what it is.
    event_name: z.string().optional(),
    // An event of a kind not known here may carry a message of another shape: it is dropped, and
    // the event ignored, rather than refused (a refused webhook call would be delivered again).
    message: ZaloMessageSchema.optional().catch(undefined),
  })
  // Neither an event nor a message: not an update at all.
  .refine((update) => update.event_name !== undefined || update.message !== undefined);

export type ZaloMessage = z.infer<typeof ZaloMessageSchema>;
export type ZaloUpdate = z.infer<typeof ZaloUpdateSchema>;
