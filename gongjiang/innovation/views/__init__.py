"""The innovation pages: the worker's phone pages (submit with similar proposals shown as they type, follow their
own), the union's list (filters, sorting, Excel, valuators in bulk) and a proposal's page with its timeline and the
decisions of every step, the valuators' list, the figures, the reward policy, the ledger and the appointments."""
