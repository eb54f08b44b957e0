ALTER TABLE `runs` ADD `checkpoints_digest` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `replayed_segments` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `segment_count` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `replay_deviation` real;