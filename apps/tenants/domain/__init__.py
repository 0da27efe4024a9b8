"""Pure domain code for bodies: no Django imports here."""
