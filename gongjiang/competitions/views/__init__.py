"""Pages of the competitions app, one module per audience: `setup` (organisers: competitions, stages,
events, schemes), `rounds` (organisers: registrations, draws, check-in, tickets, judges), `worker` (workers
and unit cadres: registering, teams, bulk import, my entries), `judging` (judges and chief judges: mark
sheets on phones, lock, calibration, decryption), `results` (rankings, public notice, appeals, prizes,
promotions, certificates and their public verification, analysis), `labour` (labour competitions)."""
