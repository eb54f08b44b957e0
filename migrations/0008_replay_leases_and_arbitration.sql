CREATE TABLE `abandoned_leases` (
	`id` text PRIMARY KEY NOT NULL,
	`replay_id` text NOT NULL,
	`run_id` text NOT NULL,
	`segment` integer NOT NULL,
	`replayer_id` text NOT NULL,
	`replayer_block` text,
	`leased_at` integer NOT NULL,
	`expired_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `abandoned_leases_run` ON `abandoned_leases` (`run_id`);--> statement-breakpoint
CREATE INDEX `abandoned_leases_replayer` ON `abandoned_leases` (`replayer_id`,`expired_at`);--> statement-breakpoint
ALTER TABLE `segment_replays` ADD `by_server` integer DEFAULT false NOT NULL;