"""The domain: snapshot rules, pre-flight, version diffs, hash chains — standard library only."""
