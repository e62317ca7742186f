namespace ChatonsFed.Aggregator.Search;

/// <summary>Great-circle distances on a spherical Earth.</summary>
public static class GeoMath
{
    /// <summary>The mean Earth radius (IUGG), in kilometres.</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Kilometres along one degree of a great circle.</summary>
    public const double KmPerDegree = Math.PI * EarthRadiusKm / 180;

    /// <summary>The haversine distance between two points given in decimal degrees, in kilometres.</summary>
    public static double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var phi1 = ToRadians(latitude1);
        var phi2 = ToRadians(latitude2);
        return Haversine(phi1, Math.Cos(phi1), phi2, Math.Cos(phi2), ToRadians(longitude2 - longitude1));
    }

    internal static double Haversine(double phi1, double cosPhi1, double phi2, double cosPhi2, double deltaLambda)
    {
        var sinHalfPhi = Math.Sin((phi2 - phi1) / 2);
        var sinHalfLambda = Math.Sin(deltaLambda / 2);
        var a = (sinHalfPhi * sinHalfPhi) + (cosPhi1 * cosPhi2 * sinHalfLambda * sinHalfLambda);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    internal static double ToRadians(double degrees) => degrees * (Math.PI / 180);

    /// <summary>The difference of two longitudes folded into [0, 180] degrees.</summary>
    internal static double LongitudeGap(double a, double b)
    {
        var gap = Math.Abs(a - b) % 360;
        return gap > 180 ? 360 - gap : gap;
    }
}
