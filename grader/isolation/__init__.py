"""What keeps a submission in its place: the probe worker's own sandbox (sandbox),
bubblewrap around the fork servers (containment), the sweep of leftover processes
(reaper) and the GPU lane (gpus)."""
