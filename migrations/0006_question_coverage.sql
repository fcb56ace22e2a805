CREATE TABLE `question_coverage` (
	`record_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`question_id` text NOT NULL,
	`position` integer NOT NULL,
	`question` text NOT NULL,
	`section` text NOT NULL,
	`required` integer NOT NULL,
	`status` text NOT NULL,
	`asked_turn_id` text,
	`answered_turn_ids` text NOT NULL,
	`seconds` integer NOT NULL,
	PRIMARY KEY(`record_id`, `question_id`),
	FOREIGN KEY (`record_id`) REFERENCES `record`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `question_coverage_project_idx` ON `question_coverage` (`workspace_id`,`project_id`,`question_id`);