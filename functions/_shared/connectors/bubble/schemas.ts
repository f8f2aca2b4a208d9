// zod shape of a Bubble Data API record: the built-in fields every thing carries; the app's own
// fields (any names, any types) pass through into `raw`.
import { z } from "zod";

const timestamp = z.iso.datetime({ offset: true });

export const bubbleRecordSchema = z.looseObject({
  _id: z.string().min(1),
  "Created Date": timestamp.optional(),
  "Modified Date": timestamp,
});
export type BubbleRecord = z.infer<typeof bubbleRecordSchema>;
