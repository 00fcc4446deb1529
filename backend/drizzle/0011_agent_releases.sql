CREATE TABLE "agent_releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" text NOT NULL,
	"os" text NOT NULL,
	"arch" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"signature" text NOT NULL,
	"rollback" boolean DEFAULT false NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uploaded_at" timestamp with time zone,
	CONSTRAINT "agent_releases_version_os_arch_unique" UNIQUE("version","os","arch")
);
--> statement-breakpoint
CREATE TABLE "agent_rollout_devices" (
	"rollout_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"ring" integer NOT NULL,
	"release_id" uuid,
	"state" text DEFAULT 'pending' NOT NULL,
	"sent_at" timestamp with time zone,
	"detail" text,
	CONSTRAINT "agent_rollout_devices_rollout_id_device_id_pk" PRIMARY KEY("rollout_id","device_id")
);
--> statement-breakpoint
CREATE TABLE "agent_rollouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" text NOT NULL,
	"rings" jsonb NOT NULL,
	"window_sec" integer NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"current_ring" integer DEFAULT 0 NOT NULL,
	"ring_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paused_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_update_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"release_id" uuid,
	"version" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"message" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_rollout_devices" ADD CONSTRAINT "agent_rollout_devices_rollout_id_agent_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."agent_rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_rollout_devices" ADD CONSTRAINT "agent_rollout_devices_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_rollout_devices" ADD CONSTRAINT "agent_rollout_devices_release_id_agent_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."agent_releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_update_reports" ADD CONSTRAINT "agent_update_reports_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_rollout_devices_state_device_id_index" ON "agent_rollout_devices" USING btree ("state","device_id");--> statement-breakpoint
CREATE INDEX "agent_rollouts_state_index" ON "agent_rollouts" USING btree ("state");--> statement-breakpoint
CREATE INDEX "agent_update_reports_at_index" ON "agent_update_reports" USING btree ("at");--> statement-breakpoint
CREATE INDEX "agent_update_reports_device_id_index" ON "agent_update_reports" USING btree ("device_id");