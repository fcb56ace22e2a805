CREATE TABLE `interview` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`interviewer_id` text NOT NULL,
	`link_id` text NOT NULL,
	`respondent_email` text,
	`resume_token_hash` text,
	`status` text DEFAULT 'active' NOT NULL,
	`provider` text NOT NULL,
	`consent_at` integer,
	`started_at` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	`used_ms` integer,
	`reserved_tokens` integer DEFAULT 0 NOT NULL,
	`charged_tokens` integer,
	`usage` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interviewer_id`) REFERENCES `interviewer`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`link_id`) REFERENCES `link`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `interview_link_idx` ON `interview` (`link_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `interview_active_respondent_unique` ON `interview` (`link_id`,`respondent_email`) WHERE status = 'active' and respondent_email is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `interview_resume_unique` ON `interview` (`resume_token_hash`);--> statement-breakpoint
CREATE TABLE `interviewer` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'live' NOT NULL,
	`voice` text NOT NULL,
	`language` text DEFAULT 'auto' NOT NULL,
	`duration_minutes` integer NOT NULL,
	`topics` text DEFAULT '[]' NOT NULL,
	`instructions` text DEFAULT '' NOT NULL,
	`open_private_links` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "interviewer_open_private_links_cap" CHECK("interviewer"."open_private_links" >= 0 and "interviewer"."open_private_links" <= 50)
);
--> statement-breakpoint
CREATE INDEX `interviewer_project_idx` ON `interviewer` (`workspace_id`,`project_id`);--> statement-breakpoint
CREATE TABLE `link` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`interviewer_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`token` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`ask_email` integer DEFAULT true NOT NULL,
	`max_uses` integer NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	`completed_uses` integer DEFAULT 0 NOT NULL,
	`duration_minutes` integer NOT NULL,
	`voice` text,
	`language` text,
	`topics` text,
	`context` text DEFAULT '' NOT NULL,
	`reserved_tokens` integer DEFAULT 0 NOT NULL,
	`expires_at` integer,
	`last_interview_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interviewer_id`) REFERENCES `interviewer`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "link_uses_within_cap" CHECK("link"."max_uses" = 0 or "link"."uses" <= "link"."max_uses")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_token_unique` ON `link` (`token`);--> statement-breakpoint
CREATE INDEX `link_interviewer_idx` ON `link` (`workspace_id`,`interviewer_id`,`status`);--> statement-breakpoint
CREATE INDEX `link_expiry_idx` ON `link` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `record` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`interview_id` text,
	`link_id` text,
	`source` text NOT NULL,
	`title` text NOT NULL,
	`respondent_email` text,
	`status` text NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`word_count` integer DEFAULT 0 NOT NULL,
	`turn_count` integer DEFAULT 0 NOT NULL,
	`transcript_key` text,
	`audio_key` text,
	`notes` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `record_interview_id_unique` ON `record` (`interview_id`);--> statement-breakpoint
CREATE INDEX `record_project_idx` ON `record` (`workspace_id`,`project_id`,`created_at`);