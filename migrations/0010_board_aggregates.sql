CREATE TABLE `aggregate_dirty` (
	`protocol_id` text NOT NULL,
	`protocol_version` integer NOT NULL,
	`seed` integer NOT NULL,
	`mark` integer NOT NULL,
	PRIMARY KEY(`protocol_id`, `protocol_version`, `seed`)
);
--> statement-breakpoint
CREATE TABLE `aggregate_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `board_stats` (
	`protocol_id` text NOT NULL,
	`protocol_version` integer NOT NULL,
	`facet` text NOT NULL,
	`trust` text NOT NULL,
	`runs` integer NOT NULL,
	`entry` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`facet`, `trust`, `protocol_id`, `protocol_version`)
);
--> statement-breakpoint
CREATE TABLE `contributor_standing` (
	`contributor_id` text PRIMARY KEY NOT NULL,
	`server_verified_runs` integer NOT NULL,
	`refusals` integer NOT NULL,
	`weight` real NOT NULL,
	`earned` integer NOT NULL,
	`stale` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contributor_standing_stale` ON `contributor_standing` (`stale`);--> statement-breakpoint
CREATE TABLE `seed_identities` (
	`protocol_id` text NOT NULL,
	`protocol_version` integer NOT NULL,
	`facet` text NOT NULL,
	`seed` integer NOT NULL,
	`identity` text NOT NULL,
	PRIMARY KEY(`protocol_id`, `protocol_version`, `facet`, `seed`, `identity`)
);
--> statement-breakpoint
CREATE INDEX `seed_identities_seed` ON `seed_identities` (`protocol_id`,`protocol_version`,`seed`);--> statement-breakpoint
CREATE TABLE `seed_stats` (
	`protocol_id` text NOT NULL,
	`protocol_version` integer NOT NULL,
	`facet` text NOT NULL,
	`seed` integer NOT NULL,
	`runs` integer NOT NULL,
	`means` text NOT NULL,
	`trust` text NOT NULL,
	`replayed` integer NOT NULL,
	`excluded` integer NOT NULL,
	`first_run_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`protocol_id`, `protocol_version`, `facet`, `seed`)
);
--> statement-breakpoint
CREATE INDEX `seed_stats_seed` ON `seed_stats` (`protocol_id`,`protocol_version`,`seed`);--> statement-breakpoint
CREATE INDEX `runs_protocol_seed` ON `runs` (`protocol_id`,`protocol_version`,`status`,`seed`);--> statement-breakpoint
CREATE INDEX `runs_protocol_train` ON `runs` (`protocol_id`,`protocol_version`,`status`,`train_ms`);--> statement-breakpoint
INSERT INTO `aggregate_version` (`id`, `version`) VALUES (1, 1);
--> statement-breakpoint
-- Existing data: every seed with an accepted run and every contributor key start dirty (refreshed a few per
-- request, or all at once by POST /api/admin/aggregates/rebuild).
INSERT INTO `aggregate_dirty` (`protocol_id`, `protocol_version`, `seed`, `mark`) SELECT DISTINCT `protocol_id`, `protocol_version`, `seed`, 0 FROM `runs` WHERE `status` = 'accepted';
--> statement-breakpoint
INSERT INTO `contributor_standing` (`contributor_id`, `server_verified_runs`, `refusals`, `weight`, `earned`, `stale`, `updated_at`) SELECT DISTINCT `contributor_id`, 0, 0, 0, 0, 1, 0 FROM `runs` WHERE `contributor_id` IS NOT NULL;
