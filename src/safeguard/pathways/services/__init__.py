"""The use cases of interventions, release pathways and peer observation: one function each, through the gate."""
