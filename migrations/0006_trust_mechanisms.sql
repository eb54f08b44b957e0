CREATE TABLE `hidden_contributor_keys` (
	`contributor_id` text PRIMARY KEY NOT NULL,
	`hidden_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `address_block` text;--> statement-breakpoint
ALTER TABLE `segment_replays` ADD `replayer_block` text;--> statement-breakpoint
ALTER TABLE `workunits` ADD `claimed_at` integer;--> statement-breakpoint
ALTER TABLE `workunits` ADD `client_key` text;--> statement-breakpoint
ALTER TABLE `workunits` ADD `contributor_id` text;--> statement-breakpoint
CREATE INDEX `workunits_client` ON `workunits` (`client_key`,`expires_at`);