-- What agents say about their hosts: labels (for selecting hosts) and facts (os, cpus, …), JSON.
ALTER TABLE hosts ADD COLUMN labels TEXT;
ALTER TABLE hosts ADD COLUMN facts TEXT;
