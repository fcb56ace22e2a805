CREATE TABLE `interview_quota` (
	`interview_id` text NOT NULL,
	`quota_id` text NOT NULL,
	PRIMARY KEY(`quota_id`, `interview_id`),
	FOREIGN KEY (`interview_id`) REFERENCES `interview`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`quota_id`) REFERENCES `quota`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `quota` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`link_id` text,
	`question_id` text NOT NULL,
	`option_id` text,
	`min` real,
	`max` real,
	`cap` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`link_id`) REFERENCES `link`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quota_project_idx` ON `quota` (`project_id`,`link_id`);--> statement-breakpoint
ALTER TABLE `interview` ADD `screener_answers` text;--> statement-breakpoint
ALTER TABLE `link` ADD `screener_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `link` ADD `screened_out` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `project` ADD `screener` text DEFAULT '[]' NOT NULL;