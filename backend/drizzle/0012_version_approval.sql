ALTER TABLE "action_versions" ADD COLUMN "approval" text DEFAULT 'unapproved' NOT NULL;--> statement-breakpoint
ALTER TABLE "action_versions" ADD COLUMN "approved_by" text;--> statement-breakpoint
ALTER TABLE "action_versions" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "action_versions" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "action_versions" ADD COLUMN "publisher_signatures" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Versions written before approval existed keep running: they count as approved by the migration (unsigned).
UPDATE "action_versions" SET "approval" = 'approved', "approved_by" = 'system:migration', "approved_at" = now();