ALTER TABLE `segment_replays` ADD `weight` integer;--> statement-breakpoint
CREATE INDEX `segment_replays_replayer` ON `segment_replays` (`replayer_id`,`answered_at`);--> statement-breakpoint
CREATE INDEX `workunits_contributor` ON `workunits` (`contributor_id`,`expires_at`);