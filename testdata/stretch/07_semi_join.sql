SELECT count(*) FROM range(2000000) WHERE range IN (SELECT range * 2 FROM range(500000));
