CREATE TABLE `explorations` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text,
	`params` text NOT NULL,
	`steps` integer NOT NULL,
	`metrics` text NOT NULL,
	`created_at` integer NOT NULL
);
