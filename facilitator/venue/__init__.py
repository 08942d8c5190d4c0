"""The venue check: will this laptop hold today's room? N simulated phones on a throwaway workshop."""
