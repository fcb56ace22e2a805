CREATE TABLE `record_quality_event` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`action` text NOT NULL,
	`flag` text,
	`note` text DEFAULT '' NOT NULL,
	`actor_id` text,
	`actor_name` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `record`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `record_quality_event_record_idx` ON `record_quality_event` (`record_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `interview` ADD `network_hash` text;--> statement-breakpoint
CREATE INDEX `interview_project_network_idx` ON `interview` (`project_id`,`network_hash`);--> statement-breakpoint
ALTER TABLE `record` ADD `quality_flag` text;--> statement-breakpoint
ALTER TABLE `record` ADD `quality_reasons` text;--> statement-breakpoint
ALTER TABLE `record` ADD `quality_signals` text;--> statement-breakpoint
ALTER TABLE `record` ADD `quality_override` text;--> statement-breakpoint
ALTER TABLE `record` ADD `quality_override_note` text;--> statement-breakpoint
ALTER TABLE `record` ADD `quality_override_by` text;--> statement-breakpoint
ALTER TABLE `record` ADD `quality_override_at` integer;--> statement-breakpoint
CREATE INDEX `record_project_email_idx` ON `record` (`project_id`,`respondent_email`);--> statement-breakpoint
ALTER TABLE `report` ADD `excluded_low_quality` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `report` ADD `include_low_quality` integer DEFAULT false NOT NULL;