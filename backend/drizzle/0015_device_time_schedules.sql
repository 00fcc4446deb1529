ALTER TABLE "executions" ADD COLUMN "not_before" text;--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD COLUMN "damped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD COLUMN "skipped_devices" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "saved_query_id" uuid;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "timezone" text DEFAULT 'utc' NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "spread_sec" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "damping" jsonb DEFAULT '{"failures":10,"skipSec":43200}'::jsonb;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD COLUMN "saved_query_id" uuid;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_saved_query_id_saved_queries_id_fk" FOREIGN KEY ("saved_query_id") REFERENCES "public"."saved_queries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD CONSTRAINT "detection_rules_saved_query_id_saved_queries_id_fk" FOREIGN KEY ("saved_query_id") REFERENCES "public"."saved_queries"("id") ON DELETE restrict ON UPDATE no action;