CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workunit_id` text NOT NULL,
	`protocol_id` text NOT NULL,
	`protocol_version` integer NOT NULL,
	`seed` integer NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`message` text NOT NULL,
	`contributor` text,
	`claimed` text NOT NULL,
	`recomputed` text,
	`environment` text NOT NULL,
	`backend` text NOT NULL,
	`train_ms` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workunit_id`) REFERENCES `workunits`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_workunit_id_unique` ON `runs` (`workunit_id`);--> statement-breakpoint
CREATE INDEX `runs_protocol_status` ON `runs` (`protocol_id`,`protocol_version`,`status`);--> statement-breakpoint
CREATE TABLE `workunits` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`protocol_id` text NOT NULL,
	`protocol_version` integer NOT NULL,
	`seed` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workunits_token_hash_unique` ON `workunits` (`token_hash`);--> statement-breakpoint
CREATE INDEX `workunits_protocol_seed` ON `workunits` (`protocol_id`,`protocol_version`,`seed`);