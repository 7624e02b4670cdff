SELECT count(*) FROM range(100000) a, range(1000) b WHERE a.range + b.range < 0;
