SELECT count(*) FROM range(20000000) WHERE range < 0;
