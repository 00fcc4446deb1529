ALTER TABLE "detection_events" ADD COLUMN "neutral" text;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "self_help" boolean DEFAULT false NOT NULL;