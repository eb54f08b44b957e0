CREATE TABLE `benchmark_workunits` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`seed` integer NOT NULL,
	`steps` integer NOT NULL,
	`lanes` integer NOT NULL,
	`matmul_size` integer NOT NULL,
	`matmul_repeats` integer NOT NULL,
	`cmnist_images_per_env` integer NOT NULL,
	`cmnist_steps` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	`client_key` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `benchmark_workunits_token_hash_unique` ON `benchmark_workunits` (`token_hash`);--> statement-breakpoint
CREATE INDEX `benchmark_workunits_client` ON `benchmark_workunits` (`client_key`,`expires_at`);--> statement-breakpoint
CREATE TABLE `benchmarks` (
	`id` text PRIMARY KEY NOT NULL,
	`workunit_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`backend` text NOT NULL,
	`gpu_vendor` text NOT NULL,
	`gpu_architecture` text,
	`adapter` text,
	`browser` text NOT NULL,
	`os` text NOT NULL,
	`tfjs_version` text NOT NULL,
	`user_agent` text NOT NULL,
	`moons1` real NOT NULL,
	`moons10` real NOT NULL,
	`cmnist` real NOT NULL,
	`matmul` real NOT NULL,
	`moons1_deviation` real NOT NULL,
	`moons10_deviation` real NOT NULL,
	`moons10_lane` integer NOT NULL,
	`cmnist_deviation` real NOT NULL,
	`matmul_error` real NOT NULL,
	`details` text NOT NULL,
	FOREIGN KEY (`workunit_id`) REFERENCES `benchmark_workunits`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `benchmarks_workunit_id_unique` ON `benchmarks` (`workunit_id`);--> statement-breakpoint
CREATE INDEX `benchmarks_created` ON `benchmarks` (`created_at`);--> statement-breakpoint
CREATE INDEX `benchmarks_backend_created` ON `benchmarks` (`backend`,`created_at`);