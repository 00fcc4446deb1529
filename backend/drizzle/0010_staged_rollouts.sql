ALTER TABLE "execution_requests" ADD COLUMN "rollout" jsonb;--> statement-breakpoint
ALTER TABLE "execution_requests" ADD COLUMN "rollout_state" text;--> statement-breakpoint
ALTER TABLE "execution_requests" ADD COLUMN "current_wave" smallint;--> statement-breakpoint
ALTER TABLE "execution_requests" ADD COLUMN "next_wave_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "execution_requests" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "execution_requests" ADD COLUMN "breaker_reset_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "execution_requests" ADD COLUMN "waived_wave" smallint;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "wave" smallint;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "rollout" jsonb;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "unstaged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "execution_requests_rollout_state_index" ON "execution_requests" USING btree ("rollout_state");