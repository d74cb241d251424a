ALTER TABLE `mentions` ADD `sentiment_by` text;--> statement-breakpoint
-- Sentiments set before suggestions existed were all set by an operator (or the demo seed).
UPDATE `mentions` SET `sentiment_by` = 'operator' WHERE `sentiment` IS NOT NULL;
