"""Pages of the competitions app, by topic: `competitions`, `stages`, `events` (organisers' set-up: competitions,
stages, events, marking schemes); `rounds`, `draws`, `judges` (running a round: registrations, check-in,
tickets, draws, the judge panel); `worker` (workers and unit cadres: registering, teams, bulk import, my
entries); `judging` (judges and chief judges: mark sheets on phones, lock, calibration, decryption); `results`,
`appeals`, `awards`, `analysis` (rankings and public notice, appeals, promotions and certificates with their
public verification, analysis and participation); `labour` (labour competitions). Shared look-ups and the round
header live in `common`."""
