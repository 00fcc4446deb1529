CREATE TABLE "help_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"user" text NOT NULL,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"screenshot_media_type" text,
	"screenshot_data" text,
	"screenshot_bytes" integer,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "help_requests_created_at_index" ON "help_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "help_requests_device_id_created_at_index" ON "help_requests" USING btree ("device_id","created_at");