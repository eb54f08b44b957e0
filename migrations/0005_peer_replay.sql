CREATE TABLE `segment_replays` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`segment` integer NOT NULL,
	`created_at` integer NOT NULL,
	`token_hash` text,
	`replayer_id` text,
	`leased_at` integer,
	`expires_at` integer,
	`answered_at` integer,
	`deviation` real,
	`agrees` integer,
	`backend` text,
	`outvoted` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segment_replays_token_hash_unique` ON `segment_replays` (`token_hash`);--> statement-breakpoint
CREATE INDEX `segment_replays_run` ON `segment_replays` (`run_id`,`segment`);--> statement-breakpoint
CREATE INDEX `segment_replays_open` ON `segment_replays` (`answered_at`,`expires_at`);--> statement-breakpoint
ALTER TABLE `runs` ADD `peer_status` text;