CREATE TABLE `admin_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`note` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hidden_contributors` (
	`name` text PRIMARY KEY NOT NULL,
	`hidden_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `submission_digest` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `hidden_at` integer;