ALTER TABLE `project` ADD `redact_personal_data` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `project` ADD `keep_original` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `record` ADD `redaction` text;