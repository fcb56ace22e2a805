-- Custom SQL migration file, put your code below! --
-- Unnamed links were shown as "Link " and the start of their token, which changed on every regenerate.
-- They keep the name they show today, stored, so it no longer follows the token.
UPDATE `link` SET `name` = 'Link ' || substr(`token`, 1, 6) WHERE `name` = '';
