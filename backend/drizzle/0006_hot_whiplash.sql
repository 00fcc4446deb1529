ALTER TABLE "campaign_schedules" ADD COLUMN "owner_kind" text;--> statement-breakpoint
ALTER TABLE "campaign_schedules" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "campaign_schedules" ADD COLUMN "owner_label" text;--> statement-breakpoint
ALTER TABLE "campaign_schedules" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "campaign_schedules" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "owner_kind" text;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "owner_label" text;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "owner_kind" text;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "owner_label" text;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "paused_for_owner" boolean DEFAULT false NOT NULL;