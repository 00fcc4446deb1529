ALTER TABLE "executions" DROP CONSTRAINT "executions_request_id_execution_requests_id_fk";
--> statement-breakpoint
ALTER TABLE "executions" DROP CONSTRAINT "executions_action_id_actions_id_fk";
--> statement-breakpoint
ALTER TABLE "executions" DROP CONSTRAINT "executions_action_version_id_action_versions_id_fk";
