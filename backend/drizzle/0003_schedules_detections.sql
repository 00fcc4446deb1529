CREATE TABLE "schedule_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"matched" integer DEFAULT 0 NOT NULL,
	"launched" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"request_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"action_id" uuid NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expiry_sec" integer,
	"target" text NOT NULL,
	"cron" text,
	"interval_sec" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"retention_days" integer DEFAULT 30 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detection_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"attempt" integer NOT NULL,
	"status" text DEFAULT 'launching' NOT NULL,
	"execution_id" uuid,
	"request_id" uuid,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "detection_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"condition" text NOT NULL,
	"action_id" uuid NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"guards" jsonb NOT NULL,
	"paused_by_breaker" boolean DEFAULT false NOT NULL,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"breaker_reset_at" timestamp with time zone NOT NULL,
	"rollout_started_at" timestamp with time zone NOT NULL,
	"canary_passed_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detection_state" (
	"rule_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"matched_at" timestamp with time zone NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"pending" boolean DEFAULT true NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"blocked_by" text,
	CONSTRAINT "detection_state_rule_id_device_id_pk" PRIMARY KEY("rule_id","device_id")
);
--> statement-breakpoint
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_events" ADD CONSTRAINT "detection_events_rule_id_detection_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."detection_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_events" ADD CONSTRAINT "detection_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_events" ADD CONSTRAINT "detection_events_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_rules" ADD CONSTRAINT "detection_rules_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_state" ADD CONSTRAINT "detection_state_rule_id_detection_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."detection_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_state" ADD CONSTRAINT "detection_state_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schedule_runs_schedule_id_at_index" ON "schedule_runs" USING btree ("schedule_id","at");--> statement-breakpoint
CREATE INDEX "schedule_runs_at_index" ON "schedule_runs" USING btree ("at");--> statement-breakpoint
CREATE INDEX "schedules_enabled_next_run_at_index" ON "schedules" USING btree ("enabled","next_run_at");--> statement-breakpoint
CREATE INDEX "schedules_name_index" ON "schedules" USING btree ("name");--> statement-breakpoint
CREATE INDEX "detection_events_rule_id_device_id_fired_at_index" ON "detection_events" USING btree ("rule_id","device_id","fired_at");--> statement-breakpoint
CREATE INDEX "detection_events_rule_id_status_index" ON "detection_events" USING btree ("rule_id","status");--> statement-breakpoint
CREATE INDEX "detection_events_rule_id_finished_at_index" ON "detection_events" USING btree ("rule_id","finished_at");--> statement-breakpoint
CREATE INDEX "detection_events_execution_id_index" ON "detection_events" USING btree ("execution_id");--> statement-breakpoint
CREATE INDEX "detection_events_status_fired_at_index" ON "detection_events" USING btree ("status","fired_at");--> statement-breakpoint
CREATE INDEX "detection_state_rule_id_pending_matched_at_index" ON "detection_state" USING btree ("rule_id","pending","matched_at");--> statement-breakpoint
CREATE INDEX "detection_state_device_id_index" ON "detection_state" USING btree ("device_id");